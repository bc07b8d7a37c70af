/**
 * Complex RCDP parameters are JSON, and the spec requires forward slashes escaped as "\/" inside them
 * (2.2 overview). JSON.stringify never emits "\/" itself, so every "/" it emits is inside a string and can
 * be escaped textually without changing the value.
 */
export function rcdpJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/');
}
