// Talking to the review server. Every URL is relative to the page, whose path holds the
// session token, so each request carries it without the script ever reading it.

export class RequestError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function answer(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new RequestError(body.error || `HTTP ${response.status}`, response.status);
  return body;
}

export async function getDocument() {
  return answer(await fetch("api/document", { cache: "no-store" }));
}

export async function getFormats() {
  return (await answer(await fetch("api/formats", { cache: "no-store" }))).formats;
}

export async function post(path, payload = {}) {
  const response = await fetch(`api/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });
  return answer(response);
}

export function downloadUrl(path, params) {
  return `api/${path}?${new URLSearchParams(params)}`;
}
