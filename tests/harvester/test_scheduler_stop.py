"""Stopping the scheduler cancels the harvest in progress, and nothing committed is lost.

`stafett demo` and `stafett registry serve` stop their schedulers first. A harvest waiting on a slow
source used to be waited for (up to 30 s per scheduler), so a stop could overrun. Here a real
registry harvests a loopback feed whose second page drips for half a minute: the stop must end the
harvest at once, keep the first page's cases, and leave the run `interrupted` for the next start.
"""

import time

from harvest_support import FeedServer, case_doc, dripping, wait_for

from stafett.harvester.registry import Registry
from stafett.harvester.schedule import Scheduler
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source


def test_stop_cancels_a_harvest_in_progress_and_keeps_the_committed_page(tmp_path):
    feed = FeedServer(page_size=3)
    for i in range(6):
        feed.publish("Create", case_doc(feed.base, f"c{i}", title=f"Fall {i}"))
    feed.override["/feed/page/1"] = dripping(30)
    settings = RegistrySettings(
        data_dir=tmp_path, base_url="http://registry.test/", allow_loopback=True, request_deadline=60
    )
    registry = Registry(settings, [Source("slow", feed.base, (feed.base,))])
    try:
        scheduler = Scheduler(registry, tick=0.1).start()
        wait_for(lambda: feed.hits["/feed/page/1"] > 0, 30, "the harvest to reach the slow page")
        wait_for(lambda: registry.cases.live_count("slow") == 3, 30, "the first page's cases")

        began = time.monotonic()
        scheduler.stop(timeout=30)
        stopped_in = time.monotonic() - began

        assert not scheduler.thread.is_alive()
        assert stopped_in < 10, f"the stop waited {stopped_in:.1f} s for the slow page"
        assert registry.cases.live_count("slow") == 3  # the committed page stays
        assert not registry.running_harvests
    finally:
        registry.close()
        feed.stop()

    reopened = Registry(settings, [Source("slow", feed.base, (feed.base,))])
    try:
        [run] = reopened.reports.runs("slow", limit=1)
        assert run["status"] == "interrupted"
        assert reopened.cases.live_count("slow") == 3
    finally:
        reopened.close()
