/** JSON output byte-for-byte as libxl's yajl generator writes it. */
package dev.xenlevelling.xl.json;
