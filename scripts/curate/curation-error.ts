/** Input that cannot be curated; the CLI prints its message as one line and writes nothing. */
export class CurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CurationError";
  }
}
