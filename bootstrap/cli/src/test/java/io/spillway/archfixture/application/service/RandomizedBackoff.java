package io.spillway.archfixture.application.service;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Planted violation: a service drawing ids and randomness from ambient sources, not from ports. */
public final class RandomizedBackoff {
  public String newRequestId() {
    return UUID.randomUUID().toString();
  }

  public long jitterMillis() {
    return new Random().nextInt(100) + new Random(42L).nextInt(100);
  }

  public double jitterFraction() {
    return Math.random();
  }

  public long threadLocalJitter() {
    return ThreadLocalRandom.current().nextLong(100);
  }

  public byte[] salt() throws NoSuchAlgorithmException {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    SecureRandom.getInstanceStrong().nextBytes(salt);
    return salt;
  }
}
