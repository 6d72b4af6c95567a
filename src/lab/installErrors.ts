/** The install failures the Models panel shows as they are, one line each. */
/** A one-line install failure the UI shows as is. */
export class InstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallError';
  }
}

/** A download whose bytes do not match the hash the server vouches for. */
export class CorruptDownloadError extends InstallError {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptDownloadError';
  }
}

/** The storage quota is too small for the model. */
export class QuotaError extends InstallError {
  constructor(message: string) {
    super(message);
    this.name = 'QuotaError';
  }
}
