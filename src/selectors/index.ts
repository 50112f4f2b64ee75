// Kubernetes label selectors: parsing (objects' LabelSelectors and map selectors, and the text form `a=b,c in (d)`)
// with API-server validation, exact matching, and overlap.
export {
  everything,
  failedRequirements,
  formatLabels,
  formatRequirement,
  matchOutcome,
  nothing,
  parseInt64,
  parseLabelSelector,
  parseSelectorMap,
  requirementMatches,
  selectorFromMap,
  selectorOf,
  type Labels,
  type MatchOutcome,
  type Operator,
  type ParsedSelector,
  type Requirement,
  type Selector,
  type SelectorError,
} from './selector.ts';
export { selectorsOverlap, type Overlap } from './overlap.ts';
export { parseSelectorText } from './text.ts';
