/**
 * A minimal method + path router: patterns like `/apps/:app/formation/:type`, segments decoded,
 * literal routes preferred over parameterised ones when both match.
 */
export interface Route<H> {
  method: string;
  pattern: string;
  handler: H;
}

interface CompiledRoute<H> extends Route<H> {
  regex: RegExp;
  names: string[];
  parameters: number;
}

export interface RouteMatch<H> {
  handler: H;
  params: Record<string, string>;
}

export class RouteTable<H> {
  private readonly routes: CompiledRoute<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    const names: string[] = [];
    const source = pattern
      .split("/")
      .map((segment) => {
        if (segment.startsWith(":")) {
          names.push(segment.slice(1));
          return "([^/]+)";
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    this.routes.push({
      method: method.toUpperCase(),
      pattern,
      handler,
      regex: new RegExp(`^${source}/?$`),
      names,
      parameters: names.length,
    });
    this.routes.sort((a, b) => a.parameters - b.parameters);
    return this;
  }

  match(method: string, path: string): RouteMatch<H> | null {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? "");
      });
      return { handler: route.handler, params };
    }
    return null;
  }

  /** Whether any route serves `path` with another method (for 405-style answers). */
  hasPath(path: string): boolean {
    return this.routes.some((route) => route.regex.test(path));
  }
}
