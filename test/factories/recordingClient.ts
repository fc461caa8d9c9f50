/**
 * The same SDK client class, except that each construction first appends its configuration (the
 * constructor's first argument) to `built`. For `vi.mock` factories that check which
 * configuration a default client is built with; the clients themselves stay real.
 */
export const recordingClient = <C extends new (...args: never) => object>(Client: C, built: unknown[]): C =>
  new Proxy(Client, {
    construct(target, args, newTarget) {
      built.push(args[0]);
      return Reflect.construct(target, args, newTarget);
    },
  });
