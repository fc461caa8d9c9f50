/** An HTTP request as the webhook function sees it, independent of the transport. */
export interface HttpRequest {
  /** HTTP method, any case (`POST`). */
  method: string;
  /** Path with its query string, e.g. `/unsubscribe?t=s1.…`. */
  path: string;
  /** Request headers with lower-case names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received (the signature covers these bytes). */
  body: Buffer;
}

/** An HTTP response of the webhook function. */
export interface HttpResponse {
  status: number;
  /** Response headers with lower-case names. */
  headers: Record<string, string>;
  body: string;
}
