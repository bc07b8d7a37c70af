/**
 * The one "service" an Online CA offers; certificates carry origin {provider, service: ONLINECA_SERVICE}.
 * A module of its own (no imports) so code that only needs the name does not load the provider record's zod schema.
 */
export const ONLINECA_SERVICE = 'onlineca';
