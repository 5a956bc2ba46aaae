/** MAIL_FROM ("AI 前沿精选 <digest@example.com>") split for display; plain TS, so pages can use it without React. */
export function parseMailFrom(mailFrom: string): { name: string; address: string } {
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(mailFrom);
  if (!match) return { name: mailFrom.trim(), address: mailFrom.trim() };
  return { name: match[1] || (match[2] ?? ""), address: match[2] ?? "" };
}
