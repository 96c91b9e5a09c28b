/** A query the simulator refuses, answered 400 `{"Message": ...}` as Sage's Web API does. */
export class ODataError extends Error {
  readonly status = 400;
}
