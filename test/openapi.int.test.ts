import { routeTable } from "@reelay/contract";
import express from "express";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { docsRoutes } from "../services/api/src/http/docs-routes.ts";

/** The URLs a page loads: scripts, styles, icons. */
function referencedUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*?\s(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
}

describe("the docs routes", () => {
  let app: express.Express;

  beforeAll(() => {
    app = express();
    app.use(docsRoutes());
  });

  describe("GET /openapi.json", () => {
    it("answers the OpenAPI 3.1 document with every operation of the route table", async () => {
      const res = await request(app).get("/openapi.json").expect(200);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.body.openapi).toBe("3.1.0");
      for (const route of routeTable) expect(res.body.paths[route.path]?.[route.method]?.operationId, `${route.method} ${route.path}`).toBe(route.id);
    });
  });

  describe("GET /docs", () => {
    it("answers an HTML page that loads only files served here, each of which answers 200", async () => {
      const res = await request(app).get("/docs").expect(200);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      const urls = referencedUrls(res.text);
      expect(urls).toEqual(expect.arrayContaining(["/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js", "/docs/init.js"]));
      // No CDN, no other host, not even protocol-relative: the page works offline.
      for (const url of urls) expect(url).toMatch(/^\/(?!\/)/);
      expect(res.text).toContain('data-spec-url="/openapi.json"');
      for (const url of urls) {
        const asset = await request(app).get(url);
        expect(asset.status, url).toBe(200);
        expect(asset.body.length || asset.text?.length, url).toBeGreaterThan(0);
      }
    });

    it("serves scripts and styles with their media types, and the start script turns off the online validator", async () => {
      expect((await request(app).get("/docs/swagger-ui-bundle.js").expect(200)).headers["content-type"]).toMatch(/javascript/);
      expect((await request(app).get("/docs/swagger-ui.css").expect(200)).headers["content-type"]).toMatch(/^text\/css/);
      const init = await request(app).get("/docs/init.js").expect(200);
      expect(init.text).toContain("validatorUrl: null");
      expect(init.text).not.toMatch(/https?:\/\//);
    });

    it("serves no other file of the UI package (its demo page points at a remote document)", async () => {
      await request(app).get("/docs/index.html").expect(404);
      await request(app).get("/docs/swagger-initializer.js").expect(404);
      await request(app).get("/docs/../package.json").expect(404);
    });

    it("mounted under a prefix > points every URL of the page at that prefix", async () => {
      const prefixed = express();
      prefixed.use("/api", docsRoutes());
      const res = await request(prefixed).get("/api/docs").expect(200);
      const urls = referencedUrls(res.text);
      for (const url of urls) expect(url.startsWith("/api/docs/")).toBe(true);
      expect(res.text).toContain('data-spec-url="/api/openapi.json"');
      for (const url of urls) await request(prefixed).get(url).expect(200);
      await request(prefixed).get("/api/openapi.json").expect(200);
    });
  });
});
