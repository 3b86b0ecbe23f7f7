package io.spillway.archfixture.domain;

import javax.crypto.Mac;

/** Planted violation: javax is part of the JDK but not of the domain's allowed packages. */
public record SignedModel(byte[] payload) {
  public byte[] signWith(Mac mac) {
    return mac.doFinal(payload);
  }
}
