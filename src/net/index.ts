export { createAddressPolicy, classifyAddress, embeddedIpv4, describeBlock, allowListProblems, type AddressPolicy, type BlockReason } from './address-policy.js';
export { FetchError, isFetchError, type FetchFailure } from './fetch-error.js';
export {
  createSafeFetcher,
  decodeBody,
  nodeConnect,
  parseContentType,
  pinnedLookup,
  systemResolve,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_TIMEOUT_MS,
  type Connect,
  type ConnectRequest,
  type FetchOptions,
  type FetchResult,
  type ResolvedAddress,
  type Resolve,
  type SafeFetchConfig,
  type SafeFetcher,
} from './safe-fetch.js';
export { briefbotUserAgent } from './user-agent.js';
