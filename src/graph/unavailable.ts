/** The error graph mode throws when it cannot be used; the message says why. */
import { KeyspotError } from '../errors.ts';

/** Graph mode cannot be used for this model, optimizer or machine; the message says why. */
export class GraphUnavailableError extends KeyspotError {}
