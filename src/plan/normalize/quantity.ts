// Quantity helpers for the planner, on the shared exact port of resource.Quantity (src/k8s/quantity.ts):
// the planner compares quantities by the canonical text the API server stores ('0.5' → '500m').
import { canonicalQuantity as canonical, compareQuantities, parseQuantity } from '../../k8s/quantity.ts';

/** Canonical text of a Quantity (string or number), or null when the API server would reject it. */
export function canonicalQuantity(value: string | number): string | null {
  return canonical(value);
}

/** True when two quantities are the same value. */
export function sameQuantity(a: string | number, b: string | number): boolean {
  return compareQuantity(a, b) === 0;
}

/** Compare numerically; null when either is not a valid quantity. */
export function compareQuantity(a: string | number, b: string | number): number | null {
  if (parseQuantity(a) === null || parseQuantity(b) === null) return null;
  return compareQuantities(a, b);
}
