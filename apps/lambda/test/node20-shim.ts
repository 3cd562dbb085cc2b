// aws-local-stepfunctions 3 uses Promise.withResolvers (Node 22); the tests run on Node 20.
// Lambda itself runs nodejs22.x, so the shim is only for running the workflows here.
const PromiseWith = Promise as PromiseConstructor & { withResolvers?: unknown };
if (typeof PromiseWith.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
