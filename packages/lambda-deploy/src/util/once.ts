/** Memoises an async getter per key: the emulator's role and bucket are checked once per task, not per function. */
export function oncePerKey<K, T>(get: (key: K) => Promise<T>): (key: K) => Promise<T> {
  const cache = new Map<K, Promise<T>>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, get(key).catch((error) => { cache.delete(key); throw error; }));
    return cache.get(key)!;
  };
}
