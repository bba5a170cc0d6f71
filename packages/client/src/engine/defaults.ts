/** Option defaults, applied one way everywhere (STYLE habit 6: a frozen defaults object and a resolver). */

/**
 * A copy of `defaults` where every option the user set (not `undefined`) replaces its default.
 * Only the keys of `defaults` are read.
 */
export function withDefaults<D extends object>(defaults: D, options: { [K in keyof D]?: D[K] | undefined } = {}): D {
  const out = { ...defaults };
  for (const key in defaults) if (options[key] !== undefined) out[key] = options[key];
  return out;
}
