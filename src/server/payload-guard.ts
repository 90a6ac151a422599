/**
 * What a hook request must be before anything walks it recursively: nested no deeper than
 * Kubernetes objects ever are, every string well-formed Unicode, and every Secret's data a
 * map of strings. None of these can come from the API server (it stores no lone surrogate,
 * and a Secret's data is always base64 text), so a payload that breaks one is refused with
 * a 400 naming the field, instead of a stack overflow, a URIError or a TypeError deep inside
 * a hook. The walk is iterative: it is the one thing that must survive any depth.
 */
export const MAX_DEPTH = 100;

/** A JSON pointer to the field, shortened so a hostile key cannot make it huge. */
function pointer(path: readonly (string | number)[]): string {
  const text = '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  return truncate(text, 200);
}

/** A value for an error message or a log line: at most `max` characters, with an ellipsis. */
export function truncate(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** A node still to visit; its path is built from the parent chain only when it is reported. */
interface Frame {
  value: unknown;
  key: string | number | undefined;
  parent: Frame | undefined;
  depth: number;
}

function pathOf(frame: Frame | undefined, ...more: (string | number)[]): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at = frame; at?.parent; at = at.parent) path.push(at.key!);
  return [...path.reverse(), ...more];
}

/** The first problem with the payload, as a field and a message; undefined when it is sound. */
export function payloadProblem(body: unknown): { field: string; message: string } | undefined {
  const stack: Frame[] = [{ value: body, key: undefined, parent: undefined, depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, depth } = frame;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) return problem(pathOf(frame), (at) => `request body ${at} is not well-formed Unicode (a lone surrogate)`);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_DEPTH) return problem(pathOf(frame), (at) => `request body ${at} is nested deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: frame, depth: depth + 1 });
      continue;
    }
    const isSecret = (value as { kind?: unknown }).kind === 'Secret' && (value as { apiVersion?: unknown }).apiVersion === 'v1';
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (!key.isWellFormed()) return problem(pathOf(frame), (at) => `request body ${at} has a key that is not well-formed Unicode`);
      if (isSecret && (key === 'data' || key === 'stringData') && child !== undefined) {
        if (typeof child !== 'object' || child === null || Array.isArray(child)) return problem(pathOf(frame, key), (at) => `request body ${at} must be an object of strings`);
        for (const [name, item] of Object.entries(child)) {
          if (typeof item !== 'string') return problem(pathOf(frame, key, name), (at) => `request body ${at} must be a string`);
        }
      }
      stack.push({ value: child, key, parent: frame, depth: depth + 1 });
    }
  }
  return undefined;
}

function problem(path: (string | number)[], message: (at: string) => string): { field: string; message: string } {
  const field = pointer(path);
  return { field, message: message(field) };
}
