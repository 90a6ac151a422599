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

interface Frame {
  value: unknown;
  path: (string | number)[];
}

/** The first problem with the payload, as a field and a message; undefined when it is sound. */
export function payloadProblem(body: unknown): { field: string; message: string } | undefined {
  const stack: Frame[] = [{ value: body, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) return { field: pointer(path), message: `request body ${pointer(path)} is not well-formed Unicode (a lone surrogate)` };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_DEPTH) return { field: pointer(path), message: `request body ${pointer(path)} is nested deeper than ${MAX_DEPTH} levels` };
    const isSecret = (value as { kind?: unknown }).kind === 'Secret' && (value as { apiVersion?: unknown }).apiVersion === 'v1';
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      const childPath = [...path, key];
      if (!key.isWellFormed()) return { field: pointer(path), message: `request body ${pointer(path)} has a key that is not well-formed Unicode` };
      if (isSecret && (key === 'data' || key === 'stringData') && child !== undefined) {
        if (typeof child !== 'object' || child === null || Array.isArray(child)) return { field: pointer(childPath), message: `request body ${pointer(childPath)} must be an object of strings` };
        for (const [name, item] of Object.entries(child)) {
          if (typeof item !== 'string') return { field: pointer([...childPath, name]), message: `request body ${pointer([...childPath, name])} must be a string` };
        }
      }
      stack.push({ value: child, path: childPath });
    }
  }
  return undefined;
}
