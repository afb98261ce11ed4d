/**
 * Named error classes. Messages name the parameter or file, the expected range and the value.
 */

/** Base class of every error keyspot throws on purpose. */
export class KeyspotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A bad option or parameter value.
 * @example new ConfigError('windowMs', 'a number > 0', -3) // "windowMs must be a number > 0, got -3"
 */
export class ConfigError extends KeyspotError {
  /** Name of the offending parameter. */
  readonly param: string;
  constructor(param: string, expected: string, actual: unknown) {
    super(`${param} must be ${expected}, got ${formatValue(actual)}`);
    this.param = param;
  }
}

/**
 * An audio file that cannot be decoded (any format; the base of {@link WavFormatError} and
 * {@link FlacFormatError}, and thrown itself for an unknown or unsupported format or an unreadable
 * file); the message starts with the file path when known.
 */
export class AudioFormatError extends KeyspotError {
  readonly file: string | undefined;
  constructor(reason: string, file?: string) {
    super(file ? `${file}: ${reason}` : reason);
    this.file = file;
  }
}

/** A WAV file that cannot be decoded; the message starts with the file path when known. */
export class WavFormatError extends AudioFormatError {}

/** A FLAC file that cannot be decoded; the message starts with the file path when known. */
export class FlacFormatError extends AudioFormatError {}

/** A dataset folder or file that does not have the expected layout or content. */
export class DatasetError extends KeyspotError {}

/** The native TensorFlow backend cannot be used (and why). */
export class BackendError extends KeyspotError {}

/** Formats a value for an error message (strings quoted, arrays and objects as JSON). */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
