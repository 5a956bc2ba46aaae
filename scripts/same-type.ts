/**
 * `true` exactly when A and B are the same type: build-time schemas assert with it that
 * what they produce is what the Worker's hand-written types (src/) say it receives.
 */
export type SameType<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
