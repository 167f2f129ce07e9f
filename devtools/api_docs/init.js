// The local API reference: Swagger UI (from the swagger-ui-bundle-v2 package) on the checked-in OpenAPI document.
// "Try it out" sends requests to this local stack; practitioner routes need `make token` under "Authorize".
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  tryItOutEnabled: false,
});
