// Parse a GIFT file with the independent npm parser gift-pegjs; print the result as JSON.
// Usage: node giftparse.js FILE
const path = require("path");
const fs = require("fs");
const { parse } = require(path.join(__dirname, "..", "..", "node_modules", "gift-pegjs"));
const text = fs.readFileSync(process.argv[2], "utf8");
try {
  process.stdout.write(JSON.stringify(parse(text)));
} catch (e) {
  process.stdout.write(JSON.stringify({ error: e.message, location: e.location }));
  process.exitCode = 1;
}
