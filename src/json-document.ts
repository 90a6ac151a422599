/** Whether text is a JSON document (an object), as Atlas wants an audit filter. Shared by the operator and the simulator. */
export function isJsonDocument(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
