// Overlaps fetching with storing: asks the source for page n+1 while the caller is still writing page n.
export async function* prefetch<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iter = source[Symbol.asyncIterator]();
  let next = iter.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = iter.next();
      // The rejection (if any) is re-thrown when awaited above; don't let it surface as unhandled meanwhile.
      next.catch(() => {});
      yield r.value;
    }
  } finally {
    // Stop the source when the consumer breaks out early (shutdown, lease lost).
    void Promise.resolve(next)
      .then(() => iter.return?.())
      .catch(() => {});
  }
}
