// Makes every server this Node process opens listen on 127.0.0.1 only.
'use strict';
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args.length > 0 && typeof args[0] === 'object' && args[0] !== null && !Array.isArray(args[0])) {
    args[0] = Object.assign({}, args[0], { host: '127.0.0.1' });
  } else if (args.length > 0 && (typeof args[0] === 'number' || /^\d+$/.test(String(args[0])))) {
    if (typeof args[1] === 'string') args[1] = '127.0.0.1';
    else args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
