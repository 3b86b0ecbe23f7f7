package io.spillway.application.codec;

import com.github.luben.zstd.util.Native;

/** Loads zstd-jni's native library once, turning its opaque link errors into an actionable message. */
final class NativeZstd {
  private NativeZstd() {}

  static void ensureLoaded() {
    try {
      Native.load();
    } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
      String tmp = System.getProperty("ZstdTempFolder", System.getProperty("java.io.tmpdir"));
      throw new IllegalStateException("zstd-jni could not load its native library (it unpacks it into " + tmp
          + ", which must be writable; point -DZstdTempFolder=<dir> at a writable folder, or choose the gzip codec): " + e, e);
    }
  }
}
