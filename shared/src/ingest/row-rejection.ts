/**
 * Thrown while turning one row or track point into a record; the reader catches it, reports the
 * message as the rejection's reason and carries on with the next row.
 */
export class RowRejection extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "RowRejection";
  }
}
