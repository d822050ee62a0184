/** For the few pages built as strings (the platform's sign-in page, the console's loopback answer). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
