#include "service/outbox.h"

#include <catch2/catch.hpp>

#include "fakes.h"
#include "state/state_store.h"

namespace shihyo {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using testing::FakeClock;
using testing::FakeNotifier;
using testing::TempDir;

TimePoint T0() { return *ParseTime("2026-11-28T09:00:00+09:00"); }

Message Mail(const std::string& id, TimePoint created) {
  Message m;
  m.id = id;
  m.receiver = "mail";
  m.kind = "email";
  m.group_key = "g";
  m.summary = "件名";
  m.subject = "[shihyo] 新規アラート 1件";
  m.to = {"a@example.lg.jp"};
  m.text = "本文";
  m.created_at = created;
  return m;
}

struct Fixture {
  TempDir dir;
  std::unique_ptr<StateStore> state = std::move(StateStore::Open(dir.File("state.db")).value());
  Notifiers notifiers;
  FakeNotifier* fake = nullptr;
  OutboxConfig config{seconds(30), seconds(600), hours(2)};

  Fixture() {
    auto f = std::make_unique<FakeNotifier>();
    fake = f.get();
    notifiers.Set("mail", std::move(f));
  }
  void Queue(const Message& m) {
    CycleWrite w;
    w.messages.push_back(m);
    REQUIRE(state->CommitCycle(w).ok());
  }
  OutboxEntry Entry(const std::string& id) {
    auto entries = state->outbox().ListOutbox("", 100);
    for (const OutboxEntry& e : *entries) {
      if (e.message.id == id) return e;
    }
    FAIL("no message " << id);
    throw;
  }
};

TEST_CASE("outbox: backoff doubles up to the cap, scaled by jitter", "[outbox]") {
  OutboxConfig c{seconds(30), seconds(600), hours(24)};
  CHECK(Backoff(c, 1, 1.0) == seconds(30));
  CHECK(Backoff(c, 2, 1.0) == seconds(60));
  CHECK(Backoff(c, 3, 1.0) == seconds(120));
  CHECK(Backoff(c, 10, 1.0) == seconds(600));
  CHECK(Backoff(c, 2, 0.5) == seconds(30));
}

TEST_CASE("outbox: transient failures retry with growing delays, then deliver", "[outbox]") {
  Fixture f;
  f.Queue(Mail("m1@x", T0()));
  f.fake->answers = {Status::Unavailable("down"), Status::Unavailable("down"), Status::Ok()};
  FakeClock clock(T0());
  Outbox outbox(&f.state->outbox(), &f.notifiers, f.config, clock);
  outbox.SetJitter(1.0);
  auto r1 = outbox.DeliverDue();
  REQUIRE(r1.ok());
  CHECK(r1->retrying == 1);
  OutboxEntry e1 = f.Entry("m1@x");
  CHECK(e1.status == "pending");
  CHECK(e1.attempts == 1);
  CHECK(e1.next_attempt_at == T0() + seconds(30));
  CHECK(e1.last_error == "down");
  clock.Set(T0() + seconds(10));
  CHECK(outbox.DeliverDue()->sent == 0);  // not due yet
  CHECK(f.fake->sent.size() == 1);
  clock.Set(T0() + seconds(30));
  outbox.DeliverDue();
  OutboxEntry e2 = f.Entry("m1@x");
  CHECK(e2.next_attempt_at == T0() + seconds(30 + 60));
  clock.Set(T0() + seconds(90));
  auto r3 = outbox.DeliverDue();
  CHECK(r3->sent == 1);
  OutboxEntry e3 = f.Entry("m1@x");
  CHECK(e3.status == "sent");
  CHECK(e3.attempts == 3);
  REQUIRE(f.fake->sent.size() == 3);
  CHECK(f.fake->sent[0].id == f.fake->sent[2].id);  // the same id every time
  CHECK(*f.state->outbox().PendingCount() == 0);
}

TEST_CASE("outbox: permanent failures and old messages go dead; retry requeues", "[outbox]") {
  Fixture f;
  f.Queue(Mail("perm@x", T0()));
  f.Queue(Mail("old@x", T0() - hours(3)));
  f.fake->answers = {Status::Unavailable("still down"),
                     Status::InvalidArgument("550 no such user")};
  FakeClock clock(T0());
  Outbox outbox(&f.state->outbox(), &f.notifiers, f.config, clock);
  auto r = outbox.DeliverDue();
  REQUIRE(r.ok());
  CHECK(r->dead == 2);
  CHECK(f.Entry("old@x").status == "dead");
  CHECK_THAT(f.Entry("old@x").last_error, Catch::StartsWith("gave up after 1 attempts"));
  CHECK(f.Entry("perm@x").status == "dead");
  CHECK(f.Entry("perm@x").last_error == "550 no such user");
  CHECK(*f.state->outbox().Requeue({}, T0() + hours(1)) == 2);
  CHECK(*f.state->outbox().PendingCount() == 2);
  clock.Set(T0() + hours(1));
  CHECK(outbox.DeliverDue()->sent == 2);
  CHECK(f.state->outbox().Requeue({"nope"}, T0()).status().IsNotFound());
}

TEST_CASE("outbox: age and backoff saturate at the clock's bounds (issue 13 item 6)", "[outbox]") {
  // 301 years apart: more than int64 nanoseconds hold (292), so now - created
  // wrapped to a negative age and the message was never too old.
  Fixture f;
  f.config.max_backoff = seconds(kMaxDuration);
  f.Queue(Mail("ancient@x", *ParseTime("1900-01-01")));
  f.fake->answers = {Status::Unavailable("still down")};
  FakeClock clock(*ParseTime("2200-12-31"));
  Outbox outbox(&f.state->outbox(), &f.notifiers, f.config, clock);
  REQUIRE(outbox.DeliverDue()->dead == 1);
  CHECK_THAT(f.Entry("ancient@x").last_error, Catch::StartsWith("gave up after 1 attempts"));
  // A 100-year backoff from 2200 lands at the end of time, not in the past.
  f.Queue(Mail("late@x", *ParseTime("2200-12-31")));
  f.config.max_age = seconds(kMaxDuration);
  f.config.initial_backoff = seconds(kMaxDuration);
  f.fake->answers = {Status::Unavailable("still down")};
  Outbox patient(&f.state->outbox(), &f.notifiers, f.config, clock);
  patient.SetJitter(1.0);
  REQUIRE(patient.DeliverDue()->retrying == 1);
  CHECK(f.Entry("late@x").status == "pending");
  CHECK(patient.DeliverDue()->sent == 0);  // not due again
  CHECK(f.fake->sent.size() == 2);
}

TEST_CASE("outbox: a receiver that fails makes its other messages wait, untried", "[outbox]") {
  Fixture f;
  f.Queue(Mail("a@x", T0()));
  f.Queue(Mail("b@x", T0()));
  f.fake->answers = {Status::Unavailable("timeout")};
  FakeClock clock(T0());
  Outbox outbox(&f.state->outbox(), &f.notifiers, f.config, clock);
  outbox.SetJitter(1.0);
  auto r = outbox.DeliverDue();
  CHECK(r->retrying == 2);
  CHECK(f.fake->sent.size() == 1);  // one timeout, not two
  CHECK(f.Entry("b@x").attempts == 0);
  CHECK(f.Entry("b@x").next_attempt_at == T0() + seconds(30));
  clock.Set(T0() + seconds(30));
  CHECK(outbox.DeliverDue()->sent == 2);
}

TEST_CASE("outbox: many due messages go out oldest first, read a few at a time", "[outbox]") {
  Fixture f;
  // Queued out of order, one not due yet and one sent: 40 are due.
  for (int i = 39; i >= 0; --i) f.Queue(Mail("m" + std::to_string(i) + "@x", T0() + seconds(i)));
  f.Queue(Mail("late@x", T0() - seconds(1)));
  f.Queue(Mail("sent@x", T0() - seconds(2)));
  REQUIRE(f.state->outbox().MarkSent("sent@x", T0(), 1).ok());
  REQUIRE(f.state->outbox().MarkRetry("late@x", 1, T0() + hours(1), "down").ok());
  FakeClock clock(T0() + seconds(40));
  Outbox outbox(&f.state->outbox(), &f.notifiers, f.config, clock);
  auto r = outbox.DeliverDue(35);  // at most 35
  REQUIRE(r.ok());
  CHECK(r->sent == 35);
  REQUIRE(f.fake->sent.size() == 35);
  for (int i = 0; i < 35; ++i) CHECK(f.fake->sent[i].id == "m" + std::to_string(i) + "@x");
  CHECK(f.fake->sent[0].text == "本文");
  CHECK(outbox.DeliverDue()->sent == 5);
  CHECK(f.fake->sent.back().id == "m39@x");
  CHECK(outbox.DeliverDue()->sent == 0);
}

TEST_CASE("outbox: a receiver no longer in the config makes its messages dead", "[outbox]") {
  Fixture f;
  Message m = Mail("gone@x", T0());
  m.receiver = "removed";
  f.Queue(m);
  FakeClock clock(T0());
  Outbox outbox(&f.state->outbox(), &f.notifiers, f.config, clock);
  CHECK(outbox.DeliverDue()->dead == 1);
  CHECK_THAT(f.Entry("gone@x").last_error, Catch::Contains("no longer in the config"));
}

TEST_CASE("outbox: a new Alertmanager push supersedes the pending one", "[outbox]") {
  Fixture f;
  Message a = Mail("am1@x", T0());
  a.kind = "alertmanager";
  a.receiver = "am";
  f.Queue(a);
  Message b = a;
  b.id = "am2@x";
  f.Queue(b);
  CHECK(f.Entry("am1@x").status == "superseded");
  CHECK(f.Entry("am2@x").status == "pending");
}

TEST_CASE("outbox: messages survive reopening the state DB", "[outbox]") {
  TempDir dir;
  {
    auto state = StateStore::Open(dir.File("s.db"));
    CycleWrite w;
    w.messages.push_back(Mail("keep@x", T0()));
    REQUIRE((*state)->CommitCycle(w).ok());
  }
  auto state = StateStore::Open(dir.File("s.db"));
  auto due = (*state)->outbox().DueMessages(T0(), 10);
  REQUIRE(due->size() == 1);
  CHECK(due->front().message.subject == "[shihyo] 新規アラート 1件");
  CHECK(due->front().message.to == std::vector<std::string>{"a@example.lg.jp"});
}

TEST_CASE("outbox: an idle poll still sees another process's message and one falling due",
          "[outbox]") {
  TempDir dir;
  auto daemon = StateStore::Open(dir.File("s.db"));
  auto cli = StateStore::Open(dir.File("s.db"));  // e.g. `shihyo outbox requeue`
  OutboxStore& outbox = (*daemon)->outbox();
  CHECK(outbox.DueMessages(T0(), 10)->empty());
  CHECK(outbox.DueMessages(T0(), 10)->empty());  // answered from memory
  CHECK_FALSE(*outbox.MaybeDue(T0() + hours(1)));
  CHECK(*outbox.PendingCount() == 0);
  CycleWrite w;
  w.messages.push_back(Mail("other@x", T0()));
  REQUIRE((*cli)->CommitCycle(w).ok());
  CHECK(*outbox.MaybeDue(T0()));
  CHECK(*outbox.PendingCount() == 1);
  auto due = outbox.DueMessages(T0(), 10);
  REQUIRE(due->size() == 1);
  // Retried later by this connection: not due until then, due from then on.
  REQUIRE(outbox.MarkRetry("other@x", 1, T0() + seconds(30), "refused").ok());
  CHECK(outbox.DueMessages(T0() + seconds(29), 10)->empty());
  CHECK_FALSE(*outbox.MaybeDue(T0() + seconds(29)));
  CHECK(outbox.DueMessages(T0() + seconds(29), 10)->empty());
  CHECK(*outbox.MaybeDue(T0() + seconds(30)));
  CHECK(*outbox.PendingCount() == 1);
  CHECK(outbox.DueMessages(T0() + seconds(30), 10)->size() == 1);
  REQUIRE(outbox.MarkSent("other@x", T0() + seconds(30), 2).ok());
  CHECK(outbox.DueMessages(T0() + hours(1), 10)->empty());
  CHECK(*outbox.PendingCount() == 0);
  // Marked dead and requeued by the other process (updates, no new row).
  REQUIRE((*cli)->outbox().MarkDead("other@x", 3, "gone").ok());
  CHECK(*outbox.PendingCount() == 0);
  REQUIRE(*(*cli)->outbox().Requeue({}, T0() + hours(1)) == 1);
  CHECK(*outbox.PendingCount() == 1);
  CHECK(outbox.DueMessages(T0() + hours(1), 10)->size() == 1);
}

TEST_CASE("outbox: in the daemon's polls, another process's message is seen at the next poll",
          "[outbox]") {
  TempDir dir;
  auto daemon = StateStore::Open(dir.File("s.db"));
  auto cli = StateStore::Open(dir.File("s.db"));
  (*daemon)->BeginPoll();
  CHECK((*daemon)->outbox().DueMessages(T0(), 10)->empty());
  CHECK(*(*daemon)->outbox().PendingCount() == 0);
  CycleWrite w;
  w.messages.push_back(Mail("other@x", T0()));
  REQUIRE((*cli)->CommitCycle(w).ok());
  CHECK_FALSE(*(*daemon)->outbox().MaybeDue(T0()));  // the same poll
  (*daemon)->BeginPoll();
  CHECK(*(*daemon)->outbox().MaybeDue(T0()));
  CHECK(*(*daemon)->outbox().PendingCount() == 1);
  REQUIRE((*daemon)->outbox().DueMessages(T0(), 10)->size() == 1);
  // This connection's own change is seen in the same poll.
  REQUIRE((*daemon)->outbox().MarkSent("other@x", T0(), 1).ok());
  CHECK(*(*daemon)->outbox().PendingCount() == 0);
}

TEST_CASE("silences: an idle poll still sees another process's silence and the times", "[outbox]") {
  TempDir dir;
  auto daemon = StateStore::Open(dir.File("s.db"));
  auto cli = StateStore::Open(dir.File("s.db"));
  SilenceStore& silences = (*daemon)->silences();
  CHECK(*silences.ActiveChanged(T0()));  // the first call
  CHECK_FALSE(*silences.ActiveChanged(T0()));
  // Added by the CLI, starting in an hour and lasting two.
  Silence s{"s1", {{"indicator", "A", false, nullptr}}, T0() + hours(1), T0() + hours(3), "t", ""};
  REQUIRE((*cli)->silences().AddSilence(s).ok());
  CHECK_FALSE(*silences.ActiveChanged(T0()));  // not active yet
  CHECK_FALSE(*silences.ActiveChanged(T0() + hours(1) - seconds(1)));
  CHECK(*silences.ActiveChanged(T0() + hours(1)));  // started
  CHECK_FALSE(*silences.ActiveChanged(T0() + hours(2)));
  CHECK(*silences.ActiveChanged(T0() + hours(3)));  // ended
  CHECK_FALSE(*silences.ActiveChanged(T0() + hours(4)));
  // Added and expired from the CLI while active.
  Silence now = s;
  now.id = "s2", now.starts_at = T0() + hours(4), now.ends_at = T0() + hours(8);
  REQUIRE((*cli)->silences().AddSilence(now).ok());
  CHECK(*silences.ActiveChanged(T0() + hours(4)));
  CHECK_FALSE(*silences.ActiveChanged(T0() + hours(5)));
  REQUIRE((*cli)->silences().ExpireSilence("s2", T0() + hours(5)).ok());
  CHECK(*silences.ActiveChanged(T0() + hours(5)));
}

}  // namespace
}  // namespace shihyo
