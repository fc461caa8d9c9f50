import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/** The AWS SDK clients' generated schema modules. */
const SCHEMA_MODULES =
  /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

/** A module-level string constant, `const _h = "http";`. */
const STRING_CONSTANT = /^const (_[A-Za-z0-9]+) = ("(?:[^"\\]|\\.)*");$/gm;

/** A computed property key naming one, `[_h]:`. */
const COMPUTED_KEY = /\[(_[A-Za-z0-9]+)\]:/g;

/**
 * An esbuild plugin that writes the computed keys of the AWS SDK clients' schema modules
 * (`{ [_h]: ["POST", "/v2/email/outbound-emails", 200] }`, where `_h` is the module's constant
 * `"http"`) as the string literals they name (`{ "http": … }`): the same objects. esbuild must
 * assume a computed key may run code (an object's toString), so it kept every schema that has
 * one, and all the schemas they point to, whether any command uses them or not: SES v2's were
 * about 49 KiB of send's bundle for the one SendEmail it calls. A key whose name is not a string
 * constant of the module is left as it is.
 */
export const schemaLiteralKeys: Plugin = {
  name: 'schema-literal-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULES }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const constants = new Map([...source.matchAll(STRING_CONSTANT)].map((m) => [m[1], m[2]]));
      const contents = source.replace(COMPUTED_KEY, (key, name: string) => {
        const literal = constants.get(name);
        return literal === undefined ? key : `${literal}:`;
      });
      return { contents, loader: 'js' };
    });
  },
};
