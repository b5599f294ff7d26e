/** Readable titles for the source's section names. */
export const SECTION_TITLES: Readonly<Record<string, string>> = {
  general: 'General',
  pipe: 'Piping, hangers and valves',
  fdc: 'Fire department connection',
  heads: 'Sprinklers',
  wetpipe: 'Wet pipe system',
  drypipe: 'Dry pipe system',
  tanks: 'Water storage tanks',
  foam: 'Foam system',
  standpipe: 'Standpipe and hose system',
  pump: 'Fire pump',
  transferSwitch: 'Fire pump transfer switch',
  extinguisher: 'Portable fire extinguishers',
};

/** Source labels that need more than the "text" to "test" correction, keyed by question id. */
const LABEL_CORRECTIONS: Readonly<Record<string, string>> = {
  general_same_occupy: 'Is occupancy the same as at the last inspection?',
  pipe_drain_valves_cond: 'Are conditions of drain valves satisfactory?',
  pump_main_drain_residual_psi: 'Residual pressure',
  heads_temp: 'Temperature rating of sprinklers (°F)',
  pump_jockey_on_psi: 'Jockey pump settings: on pressure',
  pump_jockey_off_psi: 'Jockey pump settings: off pressure',
};

/** Option texts misspelt in the source. The corrected text gives both value and label. */
const OPTION_SPELLING: Readonly<Record<string, string>> = {
  'Flouro-protien foam': 'Fluoroprotein foam',
  'Alchohol-resistant foam': 'Alcohol-resistant foam',
};

/** Option labels that spell out an abbreviation. */
const OPTION_LABELS: Readonly<Record<string, string>> = {
  ssu: 'SSU (standard spray upright)',
  ssp: 'SSP (standard spray pendent)',
};

// The source writes "text" for "test" throughout ("texted", "trip text", "hydro text"). None of
// its labels uses the word for writing, so every form is replaced.
const TEXT_FOR_TEST = /\b([Tt])ext(ed|ing|s)?\b/g;

/** Returns the label shown for a source question, with the source's spelling corrected. */
export function correctLabel(questionId: string, text: string): string {
  const corrected = LABEL_CORRECTIONS[questionId] ?? text;
  return capitalise(corrected.trim().replace(TEXT_FOR_TEST, '$1est$2'));
}

/** Returns the value stored for a source option: a slug such as `fluoroprotein-foam`. */
export function optionValue(text: string): string {
  const trimmed = text.trim();
  return (OPTION_SPELLING[trimmed] ?? trimmed)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Returns the label shown for a source option, e.g. `white` becomes `White`. */
export function optionLabel(text: string): string {
  const trimmed = text.trim();
  return capitalise(OPTION_LABELS[trimmed] ?? OPTION_SPELLING[trimmed] ?? trimmed);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
