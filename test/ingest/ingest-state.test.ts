import { createMemoryIngestState } from '../../src/ingest/ingest-state.js';
import { describeIngestStateContract } from './ingest-state-contract.js';

describeIngestStateContract('in memory', createMemoryIngestState);
