/**
 * Where the worker notes that the platform refused Reelay's own credentials (401/402/403), for
 * /readyz to show; it expires when the refusals stop.
 */
export const operatorFaultKey = (prefix: string) => `${prefix}:platform:operator-fault`;
export const OPERATOR_FAULT_TTL_S = 300;
