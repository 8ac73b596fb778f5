// heroku-client ships no types; this declares the part of its API Ebbflow uses.
declare module "heroku-client" {
  interface HerokuClientOptions {
    token?: string;
    host?: string;
    headers?: Record<string, string>;
    timeout?: number;
    userAgent?: string;
    parseJSON?: boolean;
    middleware?: (response: import("node:http").IncomingMessage, callback: () => void) => void;
  }

  interface RequestOptions {
    body?: unknown;
    headers?: Record<string, string>;
    timeout?: number;
    partial?: boolean;
  }

  export interface HerokuApiError extends Error {
    statusCode?: number;
    body?: unknown;
  }

  export default class Heroku {
    constructor(options?: HerokuClientOptions);
    get<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
    post<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
    patch<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
    put<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
    delete<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
  }
}
