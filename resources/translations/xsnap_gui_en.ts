<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>MainWindow</name>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/main_window.py" line="242"></location>
            <source>%n task(s) running</source>
            <translation>
                <numerusform>%n task running</numerusform>
                <numerusform>%n tasks running</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>OperationDialogs</name>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="64"></location>
            <source>Delete %n snapshots?</source>
            <translation>
                <numerusform>Delete %n snapshot?</numerusform>
                <numerusform>Delete %n snapshots?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="221"></location>
            <source>Disks to delete: %n, on %1, freeing about %2.</source>
            <translation>
                <numerusform>Disks to delete: %n, on %1, freeing about %2.</numerusform>
                <numerusform>Disks to delete: %n, on %1, freeing about %2.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="230"></location>
            <source>Disks that stay: %n, taking %1.</source>
            <translation>
                <numerusform>Disks that stay: %n, taking %1.</numerusform>
                <numerusform>Disks that stay: %n, taking %1.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="327"></location>
            <source>Snapshots deleted: %n of %1</source>
            <translation>
                <numerusform>Snapshots deleted: %n of %1</numerusform>
                <numerusform>Snapshots deleted: %n of %1</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="344"></location>
            <source>Not started, as you stopped: %n.</source>
            <translation>
                <numerusform>Not started, as you stopped: %n.</numerusform>
                <numerusform>Not started, as you stopped: %n.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>PoolTreeModel</name>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="370"></location>
            <source>reconnecting, attempt %n</source>
            <translation>
                <numerusform>reconnecting, attempt %n</numerusform>
                <numerusform>reconnecting, attempt %n</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="392"></location>
            <source>%n host(s)</source>
            <translation>
                <numerusform>%n host</numerusform>
                <numerusform>%n hosts</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="393"></location>
            <source>%n VM(s)</source>
            <translation>
                <numerusform>%n VM</numerusform>
                <numerusform>%n VMs</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="422"></location>
            <source>%n running VM(s)</source>
            <translation>
                <numerusform>%n running VM</numerusform>
                <numerusform>%n running VMs</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="461"></location>
            <source>%n snapshot(s)</source>
            <translation>
                <numerusform>%n snapshot</numerusform>
                <numerusform>%n snapshots</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Schedules</name>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="263"></location>
            <source>Failed, %n VM(s)</source>
            <translation>
                <numerusform>Failed, %n VM</numerusform>
                <numerusform>Failed, %n VMs</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="372"></location>
            <source>The run failed for %n VM(s):</source>
            <translation>
                <numerusform>The run failed for %n VM:</numerusform>
                <numerusform>The run failed for %n VMs:</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="432"></location>
            <source>%n schedule(s) in pool “%1” (%2 of %3 VMs covered)</source>
            <translation>
                <numerusform>%n schedule in pool “%1” (%2 of %3 VMs covered)</numerusform>
                <numerusform>%n schedules in pool “%1” (%2 of %3 VMs covered)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="535"></location>
            <source>Delete %n snapshot schedules?</source>
            <translation>
                <numerusform>Delete %n snapshot schedule?</numerusform>
                <numerusform>Delete %n snapshot schedules?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="540"></location>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="371"></location>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="485"></location>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="1033"></location>
            <source>and %n more</source>
            <translation>
                <numerusform>and %n more</numerusform>
                <numerusform>and %n more</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="544"></location>
            <source>It covers %n VM(s):</source>
            <translation>
                <numerusform>It covers %n VM:</numerusform>
                <numerusform>It covers %n VMs:</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="47"></location>
            <source>…and %n more</source>
            <translation>
                <numerusform>…and %n more</numerusform>
                <numerusform>…and %n more</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="62"></location>
            <source>No snapshot was taken of %n VM(s):</source>
            <translation>
                <numerusform>No snapshot was taken of %n VM:</numerusform>
                <numerusform>No snapshot was taken of %n VMs:</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="82"></location>
            <source>The schedule keeps %n snapshot(s) per VM, but some VMs hold more scheduled snapshots. The oldest are deleted at the next successful run; until then they use storage.</source>
            <translation>
                <numerusform>The schedule keeps %n snapshot per VM, but some VMs hold more scheduled snapshots. The oldest are deleted at the next successful run; until then they use storage.</numerusform>
                <numerusform>The schedule keeps %n snapshots per VM, but some VMs hold more scheduled snapshots. The oldest are deleted at the next successful run; until then they use storage.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="106"></location>
            <source>These VMs' snapshot chains are close to the pool's limit of %n; when it is reached, new snapshots fail. Delete or coalesce old snapshots.</source>
            <translation>
                <numerusform>These VMs' snapshot chains are close to the pool's limit of %n; when it is reached, new snapshots fail. Delete or coalesce old snapshots.</numerusform>
                <numerusform>These VMs' snapshot chains are close to the pool's limit of %n; when it is reached, new snapshots fail. Delete or coalesce old snapshots.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="241"></location>
            <source>%n VMs are already in other snapshot schedules. Move them to “%1”?</source>
            <translation>
                <numerusform>%n VM is already in another snapshot schedule. Move it to “%1”?</numerusform>
                <numerusform>%n VMs are already in other snapshot schedules. Move them to “%1”?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="353"></location>
            <source>%n VM(s) selected</source>
            <translation>
                <numerusform>%n VM selected</numerusform>
                <numerusform>%n VMs selected</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="367"></location>
            <source>%n selected VM(s) will move here from another schedule:</source>
            <translation>
                <numerusform>%n selected VM will move here from another schedule:</numerusform>
                <numerusform>%n selected VMs will move here from other schedules:</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="487"></location>
            <source>Not running or suspended now, so a snapshot with memory would fail (%n VM(s)):</source>
            <translation>
                <numerusform>Not running or suspended now, so a snapshot with memory would fail (%n VM):</numerusform>
                <numerusform>Not running or suspended now, so a snapshot with memory would fail (%n VMs):</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="1035"></location>
            <source>%n VM(s):</source>
            <translation>
                <numerusform>%n VM:</numerusform>
                <numerusform>%n VMs:</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="1054"></location>
            <source>the last %n scheduled snapshot(s) of each VM</source>
            <translation>
                <numerusform>the last %n scheduled snapshot of each VM</numerusform>
                <numerusform>the last %n scheduled snapshots of each VM</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/properties.py" line="131"></location>
            <source>%n VM(s) will move here from other snapshot schedules.</source>
            <translation>
                <numerusform>%n VM will move here from another snapshot schedule.</numerusform>
                <numerusform>%n VMs will move here from other snapshot schedules.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="66"></location>
            <source>%n of the selected VMs are already in other snapshot schedules. Move them to the new schedule?</source>
            <translation>
                <numerusform>%n of the selected VMs is already in another snapshot schedule. Move it to the new schedule?</numerusform>
                <numerusform>%n of the selected VMs are already in other snapshot schedules. Move them to the new schedule?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="99"></location>
            <source>%n VM(s) will move here from other schedules.</source>
            <translation>
                <numerusform>%n VM will move here from another schedule.</numerusform>
                <numerusform>%n VMs will move here from other schedules.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="105"></location>
            <source>A snapshot with memory would fail now for %n VM(s) that are not running or suspended.</source>
            <translation>
                <numerusform>A snapshot with memory would fail now for %n VM that is not running or suspended.</numerusform>
                <numerusform>A snapshot with memory would fail now for %n VMs that are not running or suspended.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SnapshotDetails</name>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="551"></location>
            <source>%n snapshots selected</source>
            <translation>
                <numerusform>%n snapshot selected</numerusform>
                <numerusform>%n snapshots selected</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SnapshotsTab</name>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="773"></location>
            <source>%n snapshot(s)</source>
            <translation>
                <numerusform>%n snapshot</numerusform>
                <numerusform>%n snapshots</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="782"></location>
            <source>%n scheduled hidden</source>
            <translation>
                <numerusform>%n scheduled hidden</numerusform>
                <numerusform>%n scheduled hidden</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="785"></location>
            <source>%n shown</source>
            <translation>
                <numerusform>%n shown</numerusform>
                <numerusform>%n shown</numerusform>
            </translation>
        </message>
    </context>
</TS>
