/**
 * The one "service" an Online CA offers; certificates carry origin {provider, service: ONLINECA_SERVICE}.
 * In a module of its own (no imports) so the scheduler can recognise an Online CA job without loading zod.
 */
export const ONLINECA_SERVICE = 'onlineca';
