import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { buildOpenApiDocument } from "@reelay/contract/openapi";
import type { OpenApiOptions } from "@reelay/contract/openapi";
import { Router } from "express";

/** The Swagger UI files the page loads, served from the installed `swagger-ui-dist`: nothing comes from a CDN. */
const UI_FILES = ["swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png", "favicon-16x16.png"];
/** Browsers fetch these only with the developer tools open. */
const SOURCE_MAPS = ["swagger-ui.css.map", "swagger-ui-bundle.js.map"];

const uiDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/**
 * `GET /openapi.json`: the API's OpenAPI 3.1 document, generated from the route table once, when
 * the router is made. `GET /docs`: Swagger UI over that document, its files served under `/docs/`
 * from node_modules, so the page works without reaching the internet. Anonymous, like the
 * document itself; trying an operation asks for an API key.
 */
export function docsRoutes(options: OpenApiOptions = {}): Router {
  const document = JSON.stringify(buildOpenApiDocument(options));
  const router = Router();

  router.get("/openapi.json", (_req, res) => {
    res.type("application/json").send(document);
  });

  router.get("/docs", (req, res) => {
    // The router may be mounted under a prefix; every URL of the page carries it.
    res.type("html").send(docsPage(req.baseUrl));
  });

  router.get("/docs/init.js", (_req, res) => {
    res.type("text/javascript").send(INIT_SCRIPT);
  });

  for (const file of [...UI_FILES, ...SOURCE_MAPS]) {
    router.get(`/docs/${file}`, (_req, res, next) => {
      res.sendFile(join(uiDir, file), { maxAge: "1d" }, (error) => error && next(error));
    });
  }

  return router;
}

function docsPage(baseUrl: string): string {
  const base = escapeHtml(baseUrl);
  const asset = (file: string) => `${base}/docs/${file}`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Reelay API</title>
  <link rel="stylesheet" href="${asset("swagger-ui.css")}">
  <link rel="icon" type="image/png" href="${asset("favicon-32x32.png")}" sizes="32x32">
  <link rel="icon" type="image/png" href="${asset("favicon-16x16.png")}" sizes="16x16">
</head>
<body>
  <div id="swagger-ui" data-spec-url="${base}/openapi.json"></div>
  <script src="${asset("swagger-ui-bundle.js")}"></script>
  <script src="${asset("init.js")}"></script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

// A file rather than an inline script, so a Content-Security-Policy without 'unsafe-inline' allows it.
// `validatorUrl: null`: Swagger UI would otherwise send the document to an online validator.
const INIT_SCRIPT = `window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
    persistAuthorization: false
  });
});
`;
