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

/**
 * The SDK module `sdk` with its client class `name` replaced by a {@link recordingClient} that
 * appends to `built`; what a `vi.mock` factory of the SDK module returns.
 */
export const withRecordingClient = <
  M extends Record<K, new (...args: never) => object>,
  K extends keyof M & string,
>(
  sdk: M,
  name: K,
  built: unknown[],
): M => ({ ...sdk, [name]: recordingClient(sdk[name], built) });

/**
 * A `vi.mock` factory for the SDK module whose client class is `name`: the real module, with that
 * class recording into `built` (see {@link withRecordingClient}).
 */
export const recordingMock =
  <K extends string>(name: K, built: unknown[]) =>
  async <M extends Record<K, new (...args: never) => object>>(importOriginal: () => Promise<M>): Promise<M> =>
    withRecordingClient(await importOriginal(), name, built);
