import type { FontScript } from './report.fonts.ts';
import { splitBreakUnits, splitGraphemes, splitParagraphs } from './report.line-breaks.ts';
import { splitRuns, type ScriptResolver, type TextRun } from './report.text-runs.ts';

/** A run with its advance width in points. */
export interface MeasuredRun extends TextRun {
  readonly width: number;
}

/** One printed line: runs left to right and their total width in points. */
export interface TextLine {
  readonly runs: readonly MeasuredRun[];
  readonly width: number;
}

/** Font coverage and widths for one weight and size. */
export interface TextMeasurer {
  readonly resolveScript: ScriptResolver;
  /** Advance width in points of text drawn in one font family. */
  measure(text: string, script: FontScript): number;
}

interface MeasuredUnit {
  readonly runs: readonly MeasuredRun[];
  readonly trailingRuns: readonly MeasuredRun[];
  readonly width: number;
  readonly trailingWidth: number;
}

/**
 * Lays out text into lines no wider than maxWidth. Line feeds start new lines, an empty
 * paragraph is an empty line, and a word wider than the whole line is cut between graphemes.
 *
 * @example
 * const lines = layoutLines('Contrôle réalisé 消防栓检查合格', 120, measurer);
 * lines.map((line) => line.runs.map((run) => run.text).join(''));
 */
export function layoutLines(text: string, maxWidth: number, measurer: TextMeasurer): TextLine[] {
  const builder = new LineBuilder(maxWidth, measurer);
  for (const paragraph of splitParagraphs(text)) {
    for (const unit of splitBreakUnits(paragraph)) {
      builder.add(unit);
    }
    builder.endLine();
  }
  return builder.lines;
}

class LineBuilder {
  readonly lines: TextLine[] = [];
  private runs: MeasuredRun[] = [];
  private width = 0;
  private pendingSpace: readonly MeasuredRun[] = [];
  private pendingSpaceWidth = 0;

  constructor(
    private readonly maxWidth: number,
    private readonly measurer: TextMeasurer,
  ) {}

  add(unit: string): void {
    const measured = this.measureUnit(unit);
    if (this.fits(measured)) {
      this.append(measured);
      return;
    }

    if (this.runs.length > 0) {
      this.endLine();
    } else {
      // The line contains only leading spaces, so they are dropped rather than overflow it.
      this.pendingSpace = [];
      this.pendingSpaceWidth = 0;
    }
    if (measured.width <= this.maxWidth) {
      this.append(measured);
      return;
    }
    this.addOverlong(unit, measured);
  }

  endLine(): void {
    this.lines.push({ runs: this.runs, width: this.width });
    this.runs = [];
    this.width = 0;
    this.pendingSpace = [];
    this.pendingSpaceWidth = 0;
  }

  private fits(unit: MeasuredUnit): boolean {
    return this.width + this.pendingSpaceWidth + unit.width <= this.maxWidth;
  }

  /** Places a unit wider than a line one grapheme at a time, so it wraps mid-word. */
  private addOverlong(unit: string, measured: MeasuredUnit): void {
    const characters = splitGraphemes(unit.slice(0, unit.length - trailingSpace(unit).length));
    if (characters.length <= 1) {
      this.append(measured);
      return;
    }

    for (const character of characters) {
      this.add(character);
    }
    this.pendingSpace = measured.trailingRuns;
    this.pendingSpaceWidth = measured.trailingWidth;
  }

  private append(unit: MeasuredUnit): void {
    for (const run of [...this.pendingSpace, ...unit.runs]) {
      this.appendRun(run);
    }
    this.width += this.pendingSpaceWidth + unit.width;
    this.pendingSpace = unit.trailingRuns;
    this.pendingSpaceWidth = unit.trailingWidth;
  }

  private appendRun(run: MeasuredRun): void {
    const last = this.runs.at(-1);
    if (last?.script !== run.script) {
      this.runs.push(run);
      return;
    }
    this.runs[this.runs.length - 1] = {
      text: last.text + run.text,
      script: run.script,
      width: last.width + run.width,
    };
  }

  private measureUnit(unit: string): MeasuredUnit {
    const space = trailingSpace(unit);
    const runs = this.measureRuns(unit.slice(0, unit.length - space.length));
    const trailingRuns = this.measureRuns(space);
    return {
      runs,
      trailingRuns,
      width: sumWidths(runs),
      trailingWidth: sumWidths(trailingRuns),
    };
  }

  private measureRuns(text: string): MeasuredRun[] {
    return splitRuns(text, this.measurer.resolveScript).map((run) => ({
      ...run,
      width: this.measurer.measure(run.text, run.script),
    }));
  }
}

function trailingSpace(unit: string): string {
  return /\s*$/u.exec(unit)?.[0] ?? '';
}

function sumWidths(runs: readonly MeasuredRun[]): number {
  return runs.reduce((total, run) => total + run.width, 0);
}
