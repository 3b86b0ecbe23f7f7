package io.spillway.adapters.inmemory;

import io.spillway.application.contract.JobAnnouncementsContract;
import io.spillway.application.port.out.JobAnnouncements;
import java.util.List;

/** The announcements contract against the in-memory destination. */
class InMemoryJobAnnouncementsContractTest extends JobAnnouncementsContract {
  private InMemoryJobAnnouncements destination;

  @Override
  protected JobAnnouncements newAnnouncements() {
    destination = new InMemoryJobAnnouncements();
    return destination;
  }

  @Override
  protected List<Received> received() {
    return destination.accepted().stream().map(Received::of).toList();
  }

  @Override
  protected void refuseNext(Refusal refusal) {
    destination.refuseNext(1, refusal == Refusal.THROTTLED ? InMemoryJobAnnouncements.Refusal.THROTTLED : InMemoryJobAnnouncements.Refusal.DENIED);
  }

  @Override
  protected String destination() {
    return InMemoryJobAnnouncements.DESTINATION;
  }
}
