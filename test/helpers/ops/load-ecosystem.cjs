// Loads ecosystem.config.js exactly as pm2 does (CommonJS require() of the file) and prints its
// `apps` as JSON, so tests see what pm2 would see with the environment they pass in.
const path = require('node:path');

const { apps } = require(path.resolve(__dirname, '../../../ecosystem.config.js'));
process.stdout.write(JSON.stringify(apps));
