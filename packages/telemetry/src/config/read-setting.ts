/** The process environment as the configuration reads it. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * A setting's raw value and where it came from: `from: 'option'` with the option's path
 * (`options.logs.level`) and its typed value, or `from: 'env'` with the variable's name and text.
 * Warnings about the value name `source`, i.e. what the user actually wrote.
 */
export type Setting<T> =
  { readonly from: 'option'; readonly source: string; readonly value: T } | { readonly from: 'env'; readonly source: string; readonly value: string };

/** A programmatic option: its path in `TelemetryOptions` (for messages) and its value. */
export interface OptionValue<T> {
  readonly name: string;
  readonly value: T | undefined;
}

/**
 * Reads one setting, options over environment: the option when given, else the first of
 * `envNames` that is set. A blank string (empty or whitespace) counts as not given, for options
 * and variables alike (OpenTelemetry: an empty variable is unset). Undefined when nothing is set.
 */
export function readSetting<T>(env: Env, option: OptionValue<T> | undefined, ...envNames: string[]): Setting<T> | undefined {
  if (option !== undefined && option.value !== undefined && !isBlank(option.value)) return { from: 'option', source: option.name, value: option.value };
  for (const name of envNames) {
    const raw = env[name];
    if (raw !== undefined && !isBlank(raw)) return { from: 'env', source: name, value: raw };
  }
  return undefined;
}

function isBlank(value: unknown): boolean {
  return typeof value === 'string' && value.trim() === '';
}
