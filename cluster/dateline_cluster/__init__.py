"""dateline on a Ray cluster: shards of one archive indexed by Ray tasks on
the nodes that keep them, served by Ray actors, answered as one by
`dateline serve --shards`.

`python -m dateline_cluster --help` lists the commands; the README of this
folder says how to start a cluster.
"""

__version__ = "0.1.0"
