/** A line or block curation removed, with the reason the report gives. */
export interface Removal {
  /** 1-based line of the input, when known. */
  line?: number;
  text: string;
  reason: string;
}
