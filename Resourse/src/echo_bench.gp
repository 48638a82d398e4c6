# echo_bench.png, rendered from echo_bench.tsv by `gnuplot echo_bench.gp` in this folder
set terminal pngcairo size 1200,560 font 'DejaVu Sans,10'
set output '../echo_bench.png'
set datafile separator '\t'
set datafile missing '?'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.9 border rgb '#333333'
set boxwidth 0.95
set key outside right top vertical autotitle columnheader
set grid ytics
set yrange [0:1.488]
set ylabel 'throughput / lab 04 epoll (same run)'
set title "Echo servers side by side: msgs/s (bulk: bytes/s) relative to lab 04's epoll server, \
median of 3 round(s)\nnetlab echo bench, 2026-12-07 23:34, Linux 6.18.44-fc-v1300, 2 x AMD EPYC"
set arrow from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 lc rgb '#1b9e77'
plot 'echo_bench.tsv' using 2:xtic(1) lc rgb '#8da0cb', 'echo_bench.tsv' using 3 lc rgb '#a6d854', 'echo_bench.tsv' using 4 lc rgb '#1b9e77', 'echo_bench.tsv' using 5 lc rgb '#d95f02', 'echo_bench.tsv' using 6 lc rgb '#fdae61', 'echo_bench.tsv' using 7 lc rgb '#7570b3', 'echo_bench.tsv' using 8 lc rgb '#e6ab02', 'echo_bench.tsv' using 9 lc rgb '#999999', 'echo_bench.tsv' using 10 lc rgb '#444444', 'echo_bench.tsv' using 11 lc rgb '#e7298a', 'echo_bench.tsv' using ($0 + -0.4091):2:(sprintf('%.2f', column(2))) with labels rotate by 90 left offset 0,0.3 font ',8' notitle, 'echo_bench.tsv' using ($0 + -0.3182):3:(sprintf('%.2f', column(3))) with labels rotate by 90 left offset 0,0.3 font ',8' notitle, 'echo_bench.tsv' using ($0 + -0.2273):4:(sprintf('%.2f', column(4))) with labels rotate by 90 left offset 0,0.3 font ',8' notitle, 'echo_bench.tsv' using ($0 + -0.1364):5:(sprintf('%.2f', column(5))) with labels rotate by 90 left offset 0,0.3 font ',8' notitle, 'echo_bench.tsv' using ($0 + -0.0455):6:(sprintf('%.2f', column(6))) with labels rotate by 90 left offset 0,0.3 font ',8' notitle, 'echo_bench.tsv' using ($0 + 0.0455):7:(sprintf('%.2f', column(7))) with labels rotate by 90 left offset 0,0.3 font ',8' notitle, 'echo_bench.tsv' using ($0 + 0.1364):8:(sprintf('%.2f', column(8))) with labels rotate by 90 left offset 0,0.3 font ',8' notitle, 'echo_bench.tsv' using ($0 + 0.2273):9:(sprintf('%.2f', column(9))) with labels rotate by 90 left offset 0,0.3 font ',8' notitle, 'echo_bench.tsv' using ($0 + 0.3182):10:(sprintf('%.2f', column(10))) with labels rotate by 90 left offset 0,0.3 font ',8' notitle, 'echo_bench.tsv' using ($0 + 0.4091):11:(sprintf('%.2f', column(11))) with labels rotate by 90 left offset 0,0.3 font ',8' notitle
