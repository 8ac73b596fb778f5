/**
 * Types for heroku-client (Heroku's official Node client, which ships none), covering what
 * Ebbflow and the simulator use. Failed calls reject with an Error carrying `statusCode` and
 * the parsed error `body`. The client authenticates with HTTP Basic (`:<token>`).
 */
declare module "heroku-client" {
  export interface HerokuClientOptions {
    token?: string;
    /** Base URL, e.g. "http://127.0.0.1:5100" (default https://api.heroku.com). */
    host?: string;
    headers?: Record<string, string>;
    parseJSON?: boolean;
    timeout?: number;
    userAgent?: string;
    debug?: boolean;
    /** Sees every response before it is read (Ebbflow reads RateLimit-Remaining here). */
    middleware?: (response: import("node:http").IncomingMessage, next: () => void) => void;
  }

  export interface HerokuRequestOptions {
    body?: unknown;
    headers?: Record<string, string>;
    partial?: boolean;
    parseJSON?: boolean;
    json?: boolean;
    timeout?: number;
  }

  export interface HerokuApiError extends Error {
    statusCode?: number;
    body?: unknown;
  }

  export default class Heroku {
    constructor(options?: HerokuClientOptions);
    request<T = unknown>(options: HerokuRequestOptions & { method: string; path: string }): Promise<T>;
    get<T = unknown>(path: string, options?: HerokuRequestOptions): Promise<T>;
    post<T = unknown>(path: string, options?: HerokuRequestOptions): Promise<T>;
    put<T = unknown>(path: string, options?: HerokuRequestOptions): Promise<T>;
    patch<T = unknown>(path: string, options?: HerokuRequestOptions): Promise<T>;
    delete<T = unknown>(path: string, options?: HerokuRequestOptions): Promise<T>;
  }
}
