/** A value made on first use and kept: for SDK clients and modules a run may never need. */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
