import type { FontWeight } from './report.fonts.ts';
import type { RiskLevel, Severity } from './report.types.ts';

/** Font, size in points and fill colour of a piece of text. */
export interface TextStyle {
  readonly weight: FontWeight;
  readonly size: number;
  readonly color: string;
}

export const COLORS = {
  text: '#1f2933',
  muted: '#5f6b7a',
  rule: '#d5dae1',
  panel: '#f3f5f8',
  accent: '#1d4e89',
  white: '#ffffff',
  unassessed: '#6b7280',
} as const;

/**
 * Colours with at least 4.5:1 contrast against white (WCAG 2 AA for body text), for badge
 * backgrounds and coloured text.
 */
export const SEVERITY_COLORS: Readonly<Record<Severity | RiskLevel, string>> = {
  critical: '#a4161a',
  high: '#c2410c',
  medium: '#a16207',
  low: '#2f6f3e',
};

/** Severities from the most to the least urgent, the order of every list in the report. */
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export const STYLES = {
  coverTitle: { weight: 'bold', size: 24, color: COLORS.text },
  coverSubtitle: { weight: 'regular', size: 12, color: COLORS.muted },
  partTitle: { weight: 'bold', size: 18, color: COLORS.accent },
  heading: { weight: 'bold', size: 13, color: COLORS.text },
  label: { weight: 'bold', size: 9.5, color: COLORS.text },
  body: { weight: 'regular', size: 9.5, color: COLORS.text },
  muted: { weight: 'regular', size: 9.5, color: COLORS.muted },
  note: { weight: 'regular', size: 8.5, color: COLORS.muted },
  small: { weight: 'regular', size: 8, color: COLORS.muted },
  pageFurniture: { weight: 'regular', size: 8, color: COLORS.muted },
} as const satisfies Record<string, TextStyle>;

/** Returns a copy of a style in another colour. */
export function withColor(style: TextStyle, color: string): TextStyle {
  return { ...style, color };
}
