import { DeliveryError } from '../../src/digest/sender.js';

/** The DeliveryError a send ends with; any other outcome (success, another error) fails the test. */
export async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeliveryError) return error;
    throw error;
  }
  throw new Error('expected the send to fail');
}
