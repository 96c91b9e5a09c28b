/** A Sage-style API failure: the HTTP layer answers `status` with `{"Message": message}`. */
export class SageError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SageError';
  }
}
