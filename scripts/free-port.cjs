// Prints a free loopback port (the operating system's choice): the end-to-end
// suite starts its own server there instead of reusing whatever listens on a
// fixed port.
"use strict";
const net = require("node:net");

const server = net.createServer();
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(String(server.address().port));
  server.close();
});
